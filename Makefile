# The two commands of README.md, and a few helpers.
.PHONY: run test stop bench reliability
run:   ## set everything up and start the product on http://localhost:8069
	@bin/run
test:  ## run every test of the project
	@bin/test
stop:  ## stop the server started by `make run`
	@bin/run stop
bench: ## performance benchmarks (see BENCHMARKS.md); not part of `make test`
	@bin/bench
reliability: ## concurrency and fault tests on real servers (see README); not part of `make test`
	@bin/reliability
