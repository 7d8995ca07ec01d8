package dev.vigil.slo;

public final class SloGenerator {

	public static void main(String[] args) {
	}

}
