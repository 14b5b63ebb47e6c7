
ins-6Š	img-1