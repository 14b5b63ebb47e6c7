
gate-1ok"*	"img-1