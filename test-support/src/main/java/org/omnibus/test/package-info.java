/**
 * Test helpers shared by the modules' tests: bounded waiting ({@link org.omnibus.test.Tests#await}); test nodes,
 * a cluster builder and loss and partition switches will follow.
 */
package org.omnibus.test;
