package com.acme.db;

/** Application code calling the versioned function through the generated constants. */
public final class JobQueries {
  public static final String FETCH = "SELECT " + TwostepSchema.SHOP_FETCH_JOB + "(?)";

  private JobQueries() {}
}
