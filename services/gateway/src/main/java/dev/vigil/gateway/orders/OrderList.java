package dev.vigil.gateway.orders;

import java.util.List;

record OrderList(List<OrderView> orders) {
}
