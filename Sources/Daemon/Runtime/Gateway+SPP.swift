import BlueZ
import DeviceProfiles
import Logging
import PocGateCore

extension Gateway {
    /// The bindings file of `pocgate bt bind`, beside the store.
    var bindingsPath: String { BluetoothBindings.path(forStore: config.storePath) }

    /// Reads the bindings (at start, and at each reload: `bt bind` and `bt unbind` send
    /// SIGHUP) and serves them: the first binding starts the SPP side (BlueZ, the registered
    /// profile); later changes add and remove ports. A file refused keeps the bindings read
    /// before (`PG-SPP-001`).
    func reloadBindings() {
        let bindings: BluetoothBindings
        do {
            bindings = try BluetoothBindings.load(path: bindingsPath)
        } catch {
            logger.error("Bluetooth serial bindings refused; the ones read before stay in use",
                         metadata: ["code": "\(LogCode.btBindingsRefused)", "file": "\(bindingsPath)", "error": "\(error)"])
            return
        }
        let (spp, changed) = state.withLock { s in
            defer { s.bindings = bindings }
            return (s.spp, s.bindings != bindings)
        }
        if let spp {
            if changed { spp.update(bindings) }
            return
        }
        guard !bindings.bindings.isEmpty else { return }
        let client: BlueZClient
        let devices: SPPDevices
        do {
            client = try BlueZClient()
        } catch {
            return logger.error("Bluetooth serial devices are bound but BlueZ is not reachable; they are not served",
                                metadata: ["code": "\(LogCode.btProfileUnavailable)", "error": "\(error)"])
        }
        do {
            devices = try SPPDevices(client: client, bindings: bindings, logger: logger) { [weak self] port, binding in
                self?.servedSPP(port, binding)
            }
        } catch {
            client.close()
            return logger.error("BlueZ refused pocgate's serial port profile; bound Bluetooth serial devices are not served",
                                metadata: ["code": "\(LogCode.btProfileUnavailable)", "error": "\(error)"])
        }
        let started = state.withLock { s in
            guard !s.stopping, s.spp == nil else { return false }
            s.spp = devices
            return true
        }
        guard started else {
            devices.stop()
            return client.close()
        }
        logger.info("Bluetooth serial profile registered", metadata: ["bound": "\(bindings.bindings.count)"])
        devices.start()
    }

    /// A bound device BlueZ knows (a binding), or one unbound or forgotten (nil).
    private func servedSPP(_ port: PortDescription, _ binding: BluetoothBindings.Binding?) {
        guard let binding else { return handle(.removed(port)) }
        guard let id = binding.profile else { return handle(.added(port)) }
        guard let profile = state.withLock({ $0.catalog.profile(id: id) }) else {
            return logger.error("a Bluetooth serial binding names a profile that is not loaded; the device is not read", metadata: [
                "code": "\(LogCode.btBoundProfileMissing)", "bluetooth": "\(binding.address)", "profile": "\(id)"])
        }
        attach(port, profile: profile, fixedID: id)
    }
}
