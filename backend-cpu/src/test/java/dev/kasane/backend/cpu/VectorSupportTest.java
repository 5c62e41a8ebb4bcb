package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorSupportTest {
    @Test
    void advisesTheTrapLimitsBeforeJdk25UnlessTheyAreSet() {
        assertTrue(VectorSupport.needsTrapLimits(17, List.of()));
        assertTrue(VectorSupport.needsTrapLimits(21, List.of("-Xmx4g", "-XX:PerMethodTrapLimit=10000")));
        assertFalse(VectorSupport.needsTrapLimits(17, List.of("-Xmx4g", "-XX:PerBytecodeTrapLimit=100")));
        assertFalse(VectorSupport.needsTrapLimits(25, List.of()));
    }

    @Test
    void theAdvisedFlagsSilenceTheAdvice() {
        List<String> flags = Arrays.asList(VectorSupport.TRAP_LIMIT_FLAGS.split(" "));
        assertTrue(flags.stream().allMatch(f -> f.startsWith("-XX:") && f.contains("=")), flags.toString());
        assertFalse(VectorSupport.needsTrapLimits(17, flags));
    }

    @Test
    void seedsTheProfilesUnlessThePropertySaysFalse() {
        assertTrue(VectorSupport.seedsProfiles(null));
        assertTrue(VectorSupport.seedsProfiles("true"));
        assertFalse(VectorSupport.seedsProfiles("false"));
        assertFalse(VectorSupport.seedsProfiles(" FALSE "));
    }

    @Test
    void theSeedRunsEveryOperationOnThisMachinesSpecies() {
        assumeTrue(VectorSupport.modulePresent(), "needs --add-modules jdk.incubator.vector");
        new VectorProfileSeed().run();
        // the comparisons of zeros: any operation that gave a wrong value or lane count would change the count
        assertEquals(VectorProfileSeed.expectedTrueLanes(), VectorProfileSeed.trueLanes());
    }
}
