import Testing

@Suite struct PlaceholderStoreTests {}
