// The OptimalControl module: see Package.swift and DESIGN notes; its sources land here.
