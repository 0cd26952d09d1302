import Testing

@Suite struct PlaceholderUplinkTests {}
