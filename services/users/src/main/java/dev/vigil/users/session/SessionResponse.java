package dev.vigil.users.session;

record SessionResponse(String accessToken, String tokenType, long expiresIn) {

	@Override
	public String toString() {
		return "SessionResponse[accessToken=<redacted>, expiresIn=" + this.expiresIn + "]";
	}

}
