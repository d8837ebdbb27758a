/**
 * Provenance-audited model comparison: field-by-field provenance diffs, the {@code compare} and
 * {@code reproduce} commands, and re-training from a model's provenance alone.
 */
package org.crane.provenance;
