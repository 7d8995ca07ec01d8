package dev.vigil.gateway.catalog;

/** A catalog answer; {@code degraded} when it comes from the cache because inventory is unreachable. */
record CatalogRead<T>(T value, boolean degraded) {
}
