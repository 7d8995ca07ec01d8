package dev.vigil.loadgen;

public final class LoadGenerator {

	public static void main(String[] args) {
	}

}
