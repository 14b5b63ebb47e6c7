
ins-2Z
	compute-3