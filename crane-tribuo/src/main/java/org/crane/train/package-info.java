/**
 * Training: {@link org.crane.train.CraneTrainer} (a Tribuo {@code Trainer}) with minibatch BPR +
 * InfoNCE steps in ONNX Runtime, Adam, edge pruning per epoch, negative sampling and early stopping.
 */
package org.crane.train;
