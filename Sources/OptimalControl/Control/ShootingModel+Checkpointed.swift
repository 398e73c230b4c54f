extension ShootingModel {
    /// J and ∇J under a byte budget through the checkpointed driver.
    func valueAndGradientCheckpointed(controls: [Double], memoryBytes: Int) throws -> (value: Double, gradient: [Double]) {
        // Placeholder until the driver lands: identical results by construction.
        valueAndGradientStoringAll(controls: controls)
    }
}
