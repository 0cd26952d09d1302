extension Store {
    /// Records in the audit log that `actor` had resident IDs printed in clear by `command`
    /// (`--show-patient-ids`): action `show-patient-ids`, the command in `detail`.
    public func auditDisclosure(actor: String, command: String, atMillis: Int64) throws(StoreError) {
        let context = "recording a disclosure of patient IDs in the audit log"
        try locked { (db: Connection) throws(StoreError) in
            try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "show-patient-ids", deviceSerial: nil,
                                    oldPatientID: nil, newPatientID: nil, detail: command), context: context)
        }
    }
}
