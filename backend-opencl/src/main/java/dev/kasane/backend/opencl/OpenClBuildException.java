package dev.kasane.backend.opencl;

/**
 * An OpenCL program failed to compile for a device. The message names the program and device and carries the
 * compiler's build log, which is also available from {@link #buildLog()}.
 */
public final class OpenClBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String programName;
    private final String buildLog;

    OpenClBuildException(String programName, String device, String options, String buildLog, Throwable cause) {
        super("opencl: building program '" + programName + "' for " + device + " failed (options: " + options
                + "); build log:\n" + buildLog, cause);
        this.programName = programName;
        this.buildLog = buildLog;
    }

    /** The name of the program that failed, e.g. {@code elementwise[F32]}. */
    public String programName() {
        return programName;
    }

    /** The OpenCL compiler's build log. */
    public String buildLog() {
        return buildLog;
    }
}
