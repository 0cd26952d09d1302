import Testing

@Suite struct PlaceholderDeviceProfilesTests {}
