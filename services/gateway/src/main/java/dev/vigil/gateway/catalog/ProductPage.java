package dev.vigil.gateway.catalog;

import java.util.List;

/** @param nextPageToken null on the last page */
record ProductPage(List<ProductView> products, String nextPageToken) {
}
