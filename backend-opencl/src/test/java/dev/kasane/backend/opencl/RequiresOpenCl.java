package dev.kasane.backend.opencl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class whose every test needs an OpenCL device: {@link OpenClTestSupport#requireOpenCl} runs once before
 * them, so without a device the class is skipped (on CI, fails).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresOpenCl.Check.class)
public @interface RequiresOpenCl {
    /** The extension behind the annotation. */
    final class Check implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            OpenClTestSupport.requireOpenCl();
        }
    }
}
