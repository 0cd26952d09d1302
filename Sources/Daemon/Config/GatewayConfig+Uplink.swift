public import Uplink

extension GatewayConfig {
    /// The uplink's settings from this configuration.
    public var uplinkSettings: UplinkSettings {
        UplinkSettings(url: uplinkURL, caFile: uplinkCAFile, timeZone: timeZone, batchSize: batchSize,
                       batchMaxWaitMillis: Int64(batchMaxWaitMillis), gzip: gzip, clientCertificate: clientCertificate,
                       clientKey: clientKey, proxy: proxy, connectTimeoutSeconds: connectTimeoutSeconds,
                       totalTimeoutSeconds: totalTimeoutSeconds, lowSpeedLimitBytesPerSecond: lowSpeedLimitBytesPerSecond,
                       lowSpeedTimeSeconds: lowSpeedTimeSeconds, units: units,
                       patientIdentifierSystem: patientIdentifierSystem, retryAfterMaxSeconds: retryAfterMaxSeconds,
                       canonical: FHIRCanonical(base: canonicalBase))
    }
}
