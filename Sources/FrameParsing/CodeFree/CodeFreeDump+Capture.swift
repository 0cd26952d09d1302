extension CodeFreeDump {
    /// Replays a capture of what a CodeFree meter sent into readings. The protocol carries no
    /// serial, so readings name the device `unknown`.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
