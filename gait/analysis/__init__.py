"""Analysis stages: video -> pose -> events -> measures -> findings."""
