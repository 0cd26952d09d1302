import PocGateCore

/// A name a Bluetooth device advertises, made safe to print. The name comes over the air from
/// any device in range (a phone can call itself anything, up to 248 bytes): before it reaches a
/// terminal or a JSON consumer its control characters (C0, DEL, C1, line separators,
/// bidirectional overrides and other invisible format characters) are dropped and it is cut to
/// `maximumLength` Unicode scalars (so a pile of combining marks on one letter is cut too).
/// Matching uses the name as BlueZ states it, never this form.
package enum AdvertisedName {
    /// The longest name printed, in Unicode scalars; a longer one is cut and ends in `…`.
    package static let maximumLength = 40

    /// `name` without control or format characters, at most `maximumLength` scalars.
    package static func printable(_ name: String) -> String {
        var kept = String.UnicodeScalarView()
        for u in name.unicodeScalars where !DeviceText.needsEscape(u) {
            switch u.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: continue
            default: kept.append(u)
            }
        }
        guard kept.count > maximumLength else { return String(kept) }
        return String(String.UnicodeScalarView(kept.prefix(maximumLength - 1))) + "…"
    }
}
