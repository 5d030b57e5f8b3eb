from latentkit_cli.main import main

main()
