package dev.vigil.launcher.chaos;

import java.time.Duration;

/**
 * What an experiment measured.
 *
 * @param timeToDetect fault start → alert firing; null when it did not fire (or no alert was expected)
 * @param timeToRecover fault start → steady state holds again and the alert has resolved; null when it did not
 * @param lostOrders orders accepted during the experiment that notifications never recorded (-1: not checked)
 * @param duplicatedOrders orders notifications recorded more than once (-1: not checked)
 * @param verdict PASS or FAIL
 * @param notes why it failed, in words
 */
public record ExperimentResult(String name, boolean detected, Duration timeToDetect, Duration timeToRecover,
		long lostOrders, long duplicatedOrders, String verdict, String notes) {

}
