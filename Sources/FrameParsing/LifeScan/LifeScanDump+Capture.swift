extension LifeScanDump {
    /// Replays a LifeScan conversation capture (both directions, in line order) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
