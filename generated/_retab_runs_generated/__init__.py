"""A client library for accessing Retab Experiment Runs"""
