package dev.kasane.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} did not match when called with {@code strict = false} (with {@code strict =
 * true} both lists are empty, since any mismatch throws).
 *
 * @param missingKeys    keys of the model that were not in the state dict
 * @param unexpectedKeys keys of the state dict that the model does not have
 */
public record StateDictLoad(List<String> missingKeys, List<String> unexpectedKeys) {
}
