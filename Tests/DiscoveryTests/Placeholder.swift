import Testing

@Suite struct PlaceholderDiscoveryTests {}
