/// What checking one profile file found: the profile when it has no errors, every error, and
/// warnings about legal but suspicious choices (each located file:line:column).
public struct ProfileCheck: Sendable {
    public var profile: DeviceProfile?
    public var errors: [YAMLIssue]
    public var warnings: [YAMLIssue]

    public init(profile: DeviceProfile?, errors: [YAMLIssue], warnings: [YAMLIssue]) {
        self.profile = profile
        self.errors = errors
        self.warnings = warnings
    }
}
