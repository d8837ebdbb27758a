/**
 * The CRANE network as a differentiable program (modality projections, recursive cross-modal
 * attention, user profiles, dual graphs, fusion, BPR + InfoNCE + L2), built from a
 * {@link org.crane.model.CraneConfig}. Variable names follow the paper's symbols.
 */
package org.crane.model;
