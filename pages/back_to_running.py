import streamlit as st
st.title('back_to_running')
st.info('This page is being built.')
