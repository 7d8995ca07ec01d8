package dev.vigil.inventory.catalog;

/**
 * A product as the catalogue shows it. {@code available} is on hand minus reserved at the time it was read.
 */
public record Product(String id, String name, String description, long priceCents, String currency, int available) {

}
