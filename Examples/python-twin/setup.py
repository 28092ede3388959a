from setuptools import find_packages, setup

setup(
    name="orders",
    packages=find_packages(),
    install_requires=["microcosm-pubsub==3.0.0"],
    extras_require={"test": ["PyHamcrest", "pytest"]},
    entry_points={"console_scripts": ["orders-daemon = orders.daemon:main"]},
)
