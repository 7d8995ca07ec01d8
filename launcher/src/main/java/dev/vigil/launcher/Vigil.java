package dev.vigil.launcher;

public final class Vigil {

	public static void main(String[] args) {
	}

}
