"""Supply of social services from the MPSV registry: activity on a date, coverage of territories."""
