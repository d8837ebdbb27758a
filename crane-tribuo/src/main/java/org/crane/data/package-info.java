/**
 * Data layer: MMRec interaction files ({@code .inter}, read with Commons CSV), item modality
 * matrices ({@code .npy}, {@code .npy.gz}, CSV), dense id maps, splits, the generated demo
 * dataset, and Tribuo data sources whose provenance hashes the files they read.
 * <p>
 * The only type this package takes from elsewhere in the project is the Tribuo output
 * {@link org.crane.ItemId}, which its data sources produce.
 */
package org.crane.data;
