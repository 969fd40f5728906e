"""A client library for accessing Retab List Experiment Runs"""
