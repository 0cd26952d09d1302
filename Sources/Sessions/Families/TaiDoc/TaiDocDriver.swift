public import DeviceProfiles
public import FrameParsing

extension ProtocolFamily {
    /// TaiDoc TD-42xx/32xx 8-byte frames (0x51 … sum8), 19200 8N1.
    public static let taidocTD42xx = ProtocolFamily("taidoc-td42xx")
    /// TaiDoc TD-32xx blood-pressure monitors (FORA P-series), e.g. over Bluetooth SPP: the
    /// same 0x51 frames and session as `taidoc-td42xx`, but no default model table: the
    /// profile's `taidoc.models` names every model it reads and its record layouts.
    public static let taidocBloodPressure = ProtocolFamily("taidoc-td32xx-bp")
}

extension DeviceProfile {
    /// The models a TaiDoc/FORA profile accepts and the record layouts each may send: its
    /// `taidoc.models` list, or for a `taidoc-td42xx` profile without one the TD-42xx glucose
    /// meters. A `taidoc-td32xx-bp` profile without the list accepts no model (every record is
    /// kept as a problem).
    public var taidocModelTable: TaiDocModels {
        taidocModels ?? (self.protocol == .taidocTD42xx ? .glucoseMeters : TaiDocModels([:]))
    }
}

/// The TaiDoc/FORA family: glucose meters (TD-42xx), blood-pressure monitors (TD-32xx, FORA
/// P-series), 2-in-1 meters and thermometers, all in the same 8-byte frames, told apart by
/// the model reply and the record-type bits (docs/protocols/taidoc.md).
enum TaiDocDriver {
    static let glucose = driver(.taidocTD42xx)
    static let bloodPressure = driver(.taidocBloodPressure)

    private static func driver(_ family: ProtocolFamily) -> ProtocolDriver {
        ProtocolDriver(
            traits: FamilyTraits(family: family, conversation: .gatewayPolls, liveSession: .always, typicalBauds: [19200],
                                 profileSections: ["taidoc"], docsPage: "docs/protocols/taidoc.md"),
            decodeCapture: { input, profile in
                TaiDocDump.decodeCapture(input.deviceBytes, profileID: profile.id, models: profile.taidocModelTable)
            },
            streamCapture: { profile in TaiDocDump.CaptureStream(profileID: profile.id, models: profile.taidocModelTable) },
            makeSession: { TaiDocSession(transport: $0.link, profile: $0.profile, logger: $0.logger) },
            probe: probe)
    }

    /// The read-model request (0x24), answered only by a model the profile lists: the model
    /// decides the record layouts, so a 2-in-1 meter, a thermometer and a glucose meter on the
    /// same cable id each go to the profile that can read them.
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        let request = TaiDocFrame.request(.readModel)
        let models = profile.taidocModelTable
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        return IdentificationProbe(family: profile.protocol, request: request.bytes, replyTimeoutMillis: timeout,
                                   attempts: attempts) { bytes in
            var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
            stream.append(bytes)
            while let frame = stream.next() {
                guard frame.command == request.command else { continue }
                let model = TaiDocPayload.model(frame.payload)
                return models.layouts[model] == nil ? nil : "model \(model)"
            }
            return nil
        }
    }
}
