/**
 * Model selection: {@link dev.kasane.selection.KFold}, {@link dev.kasane.selection.StratifiedKFold} and
 * {@link dev.kasane.selection.Splits} over any dataset (seeded); {@link dev.kasane.selection.GridSearch} and
 * {@link dev.kasane.selection.RandomSearch} over a typed {@link dev.kasane.selection.SearchSpace}, scored by
 * cross-validation, with a {@link dev.kasane.selection.SearchResults} table; {@link dev.kasane.selection.EarlyStopping}
 * and {@link dev.kasane.selection.ModelCheckpoint} for any training loop.
 */
package dev.kasane.selection;
