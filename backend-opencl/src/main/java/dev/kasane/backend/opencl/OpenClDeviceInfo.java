package dev.kasane.backend.opencl;

/**
 * What {@link OpenCl#devices()} reports about one OpenCL device.
 *
 * @param index the index to pass to {@link dev.kasane.tensor.Device#opencl(int)}
 * @param platform the platform (driver) name, e.g. "Portable Computing Language"
 * @param name the device name
 * @param vendor the device vendor
 * @param version the OpenCL version string of the device
 * @param type "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param globalMemoryBytes global memory size in bytes
 * @param computeUnits number of compute units
 * @param maxWorkGroupSize largest work-group the device accepts
 * @param fp64 true if the device reports {@code cl_khr_fp64}, i.e. can run F64 arrays
 */
public record OpenClDeviceInfo(int index, String platform, String name, String vendor, String version, String type,
        long globalMemoryBytes, int computeUnits, long maxWorkGroupSize, boolean fp64) {

    /** One line, e.g. {@code opencl:0 pthread-skylake (Portable Computing Language, CPU, 4096 MiB, 2 CUs, fp64)}. */
    @Override
    public String toString() {
        return "opencl:" + index + " " + name + " (" + platform + ", " + type + ", " + (globalMemoryBytes >> 20) + " MiB, "
                + computeUnits + " CUs" + (fp64 ? ", fp64" : ", no fp64") + ")";
    }
}
