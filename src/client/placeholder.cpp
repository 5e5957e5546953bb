namespace tktalk::client {}
