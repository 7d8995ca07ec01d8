package dev.vigil.inventory.catalog;

import java.util.List;

/**
 * One page of the catalogue; {@code nextPageToken} is empty on the last page.
 */
public record ProductPage(List<Product> products, String nextPageToken) {

}
