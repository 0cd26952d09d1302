// DeviceProfiles module.
