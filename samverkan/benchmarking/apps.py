from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "samverkan.benchmarking"
    label = "benchmarking"
    verbose_name = "Benchmark"
