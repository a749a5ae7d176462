"""'Did your member reply?': the question a supporter is asked after a letter we sent for them,
the page their answer is recorded on, and the job that sends the questions when due."""
