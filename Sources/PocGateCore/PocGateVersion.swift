/// The pocgate release this build is: shown by `pocgate --version` and sent upstream in the
/// gateway's heartbeat (`Device.version`).
public enum PocGateVersion {
    /// The version text, e.g. `0.1.0`.
    public static let text = "0.1.0"
}
