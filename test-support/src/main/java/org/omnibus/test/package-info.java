/**
 * Test helpers shared by the modules' tests: bounded waiting ({@link org.omnibus.test.Tests#await}), a D-Bus test
 * client, and a cluster builder ({@link org.omnibus.test.TestCluster#aCluster()}) of real groups in one JVM with loss
 * and partition switches, crash and restart, judged by the membership simulator's checker.
 */
package org.omnibus.test;
