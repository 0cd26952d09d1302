extension FreeStyleDump {
    /// Replays a capture of what a FreeStyle Optium sent into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
