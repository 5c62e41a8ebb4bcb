/**
 * The OpenCL backend of Kasane (JOCL): {@link dev.kasane.backend.opencl.OpenClBackend} implements the backend SPI
 * with OpenCL kernels, {@link dev.kasane.backend.opencl.OpenCl} lists the devices, and
 * {@link dev.kasane.backend.opencl.OpenClStorage} is a device buffer. Use it by putting this module on the classpath
 * and creating arrays on {@code Device.opencl(i)}.
 */
package dev.kasane.backend.opencl;
