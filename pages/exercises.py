import streamlit as st
st.title('exercises')
st.info('This page is being built.')
