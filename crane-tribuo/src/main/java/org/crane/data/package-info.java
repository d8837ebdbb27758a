/**
 * Data layer: MMRec interaction files ({@code .inter}, read with Commons CSV), item modality
 * matrices ({@code .npy}, {@code .npy.gz}, CSV), dense id maps, splits, the generated demo dataset,
 * file fingerprints, atomic writes, and the guards every reader of a file from someone else uses
 * (bounded lines, memory estimates, short quotes). It depends on no other package of the project.
 */
package org.crane.data;
