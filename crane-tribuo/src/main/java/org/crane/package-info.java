/**
 * CRANE for Tribuo, public face: the {@link org.crane.ItemId} output type with its factory and
 * output info, and (in later layers) the trained model.
 */
package org.crane;
